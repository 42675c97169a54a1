import React from "react";

export function Preview() {
  const params = new URLSearchParams(window.location.search);
  const html = params.get("preview") || "";
  return <div className="preview" dangerouslySetInnerHTML={{ __html: html }} />;
}
