const winston = require("winston");

const logger = winston.createLogger({ transports: [new winston.transports.Console()] });

function onRefresh(user) {
  logger.info("refreshed session", { user: user.id, at: Date.now() });
}

module.exports = onRefresh;
