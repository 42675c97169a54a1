import tempfile

def f():
    return tempfile.mktemp()
