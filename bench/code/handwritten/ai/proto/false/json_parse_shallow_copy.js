function loadWidgetOptions(req) {
  const userOptions = JSON.parse(req.query.options);
  const size = ["s", "m", "l"].includes(userOptions.size) ? userOptions.size : "m";
  return { size };
}

module.exports = loadWidgetOptions;
