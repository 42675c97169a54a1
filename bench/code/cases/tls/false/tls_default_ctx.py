import ssl

ctx = ssl.create_default_context()
