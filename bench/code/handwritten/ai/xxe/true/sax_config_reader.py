import sys
import xml.sax
from xml.sax.handler import feature_external_ges


class SettingHandler(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.settings = {}
        self._current = None

    def startElement(self, name, attrs):
        self._current = attrs.get("name")

    def characters(self, content):
        if self._current:
            self.settings[self._current] = content.strip()


def load_settings(path):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    handler = SettingHandler()
    parser.setContentHandler(handler)
    parser.parse(path)
    return handler.settings


if __name__ == "__main__":
    print(load_settings(sys.argv[1]))
