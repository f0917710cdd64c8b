"""Pythonic, PEP 8 versions of two legacy helpers.

The two legacy functions below work (mostly), but they are written like another language.
TODO: write `active_user_names(users)` and `numbered(items, start=1)` with the same results,
in Pythonic, PEP 8 style:
- snake_case names for functions, parameters and variables;
- iterate directly (a comprehension, `enumerate`) instead of `range(len(...))`;
- no comparisons like `== True`, `== False` or `== None` (use truthiness or `is`);
- no mutable default arguments: calling a function twice must not accumulate results
  (the legacy version has exactly that bug).
Delete the legacy functions when you are done.
"""

MAX_NAME_LENGTH = 30


def GetActiveUserNames(Users, Result=[]):  # noqa: N802
    for i in range(0, len(Users)):
        if Users[i].get("active") == True:
            if Users[i].get("name") != None and len(Users[i]["name"]) > 0:
                Result.append(Users[i]["name"][0:MAX_NAME_LENGTH])
    return Result


def Numbered(Items, Start=1):  # noqa: N802
    Out = []
    for i in range(len(Items)):
        Out.append(str(i + Start) + ". " + Items[i])
    return Out


def active_user_names(users):
    return GetActiveUserNames(users)


def numbered(items, start=1):
    return Numbered(items, start)
