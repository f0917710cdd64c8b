import datetime


def current_hour():
    return datetime.datetime.now().hour


def greet(name):
    pass
