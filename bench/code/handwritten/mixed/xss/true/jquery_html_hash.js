$(function () {
  const tab = decodeURIComponent(window.location.hash.substring(1));
  $("#current-tab").html("<span>" + tab + "</span>");
});
