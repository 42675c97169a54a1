import sys

from lxml import etree

CATEGORIES = ("books", "games", "music")


def find_products(category):
    if category not in CATEGORIES:
        raise SystemExit("unknown category")
    doc = etree.parse("catalog.xml")
    return doc.xpath("//product[@category='%s']/name/text()" % category)


if __name__ == "__main__":
    for name in find_products(sys.argv[1]):
        print(name)
