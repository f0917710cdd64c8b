def meetup(year, month, week, day_of_week):
    pass
