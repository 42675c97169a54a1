import defusedxml.ElementTree as ET

def parse(s):
    return ET.fromstring(s)
