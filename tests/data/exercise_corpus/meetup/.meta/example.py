import calendar
import datetime

DAYS = list(calendar.day_name)
ORDINALS = {"first": 0, "second": 1, "third": 2, "fourth": 3, "last": -1}


def meetup(year, month, week, day_of_week):
    weekday = DAYS.index(day_of_week)
    last = calendar.monthrange(year, month)[1]
    days = [
        datetime.date(year, month, day)
        for day in range(1, last + 1)
        if datetime.date(year, month, day).weekday() == weekday
    ]
    if week == "teenth":
        return next(d for d in days if 13 <= d.day <= 19)
    return days[ORDINALS[week]]
