const $ = require("jquery");

function loadWidgetOptions(req) {
  const userOptions = JSON.parse(req.query.options);
  return $.extend(true, {}, { size: "m" }, userOptions);
}

module.exports = loadWidgetOptions;
