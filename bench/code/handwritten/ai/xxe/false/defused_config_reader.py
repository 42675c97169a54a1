import sys

from defusedxml.ElementTree import parse


def load_settings(path):
    tree = parse(path)
    return {el.get("name"): (el.text or "").strip() for el in tree.getroot().iter("setting")}


if __name__ == "__main__":
    print(load_settings(sys.argv[1]))
