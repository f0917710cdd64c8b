def temperature(city):
    pass
