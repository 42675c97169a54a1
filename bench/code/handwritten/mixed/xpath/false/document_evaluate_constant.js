function highlight() {
  const id = location.hash.substring(1);
  const result = document.evaluate("//section[@class='intro']", document, null, XPathResult.ANY_TYPE, null);
  const node = result.iterateNext();
  if (node && id === "intro") node.classList.add("active");
}
