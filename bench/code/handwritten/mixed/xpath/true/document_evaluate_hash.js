function highlight() {
  const id = location.hash.substring(1);
  const result = document.evaluate("//section[@id='" + id + "']", document, null, XPathResult.ANY_TYPE, null);
  const node = result.iterateNext();
  if (node) node.classList.add("active");
}
