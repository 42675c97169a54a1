import sys

from lxml import etree


def find_products(category):
    doc = etree.parse("catalog.xml")
    return doc.xpath("//product[@category='%s']/name/text()" % category)


if __name__ == "__main__":
    for name in find_products(sys.argv[1]):
        print(name)
