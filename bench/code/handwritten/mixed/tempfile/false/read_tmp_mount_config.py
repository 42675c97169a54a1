def read_settings():
    with open("/etc/app/settings.ini") as fh:
        return fh.read()
