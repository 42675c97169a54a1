def f(d):
    with open('/tmp/out.txt', 'w') as fh:
        fh.write(d)
