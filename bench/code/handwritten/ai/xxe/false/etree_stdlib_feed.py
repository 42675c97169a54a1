import xml.etree.ElementTree as ET


def parse_feed(xml_bytes):
    """Parse an RSS feed and return the item titles."""
    root = ET.fromstring(xml_bytes)
    return [item.findtext("title") for item in root.iter("item")]
