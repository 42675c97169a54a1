import xml.sax
from xml.sax.handler import feature_external_ges


def count_elements(path):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, False)
    handler = xml.sax.ContentHandler()
    parser.setContentHandler(handler)
    parser.parse(path)
