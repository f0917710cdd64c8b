import datetime


def current_hour():
    return datetime.datetime.now().hour


def greet(name):
    hour = current_hour()
    if hour < 12:
        part = "morning"
    elif hour < 18:
        part = "afternoon"
    else:
        part = "evening"
    return f"Good {part}, {name}!"
