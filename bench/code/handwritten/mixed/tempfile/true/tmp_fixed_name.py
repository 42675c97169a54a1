def save_report(text):
    with open("/tmp/report.html", "w") as fh:
        fh.write(text)
    return "/tmp/report.html"
