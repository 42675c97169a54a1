import tempfile

def f(d):
    with tempfile.NamedTemporaryFile('w') as fh:
        fh.write(d)
