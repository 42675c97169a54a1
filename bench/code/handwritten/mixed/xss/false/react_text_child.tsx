import React from "react";

export function Preview() {
  const params = new URLSearchParams(window.location.search);
  const text = params.get("preview") || "";
  return <div className="preview">{text}</div>;
}
