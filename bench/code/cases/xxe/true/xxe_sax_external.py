import xml.sax
from xml.sax.handler import feature_external_ges

p = xml.sax.make_parser()
p.setFeature(feature_external_ges, True)
