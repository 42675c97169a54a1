import tempfile

def f():
    return tempfile.mkstemp()
