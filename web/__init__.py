"""The web app: browser lessons, progress, exercise checks, accounts and instructor tools."""
