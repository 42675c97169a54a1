const winston = require("winston");

const logger = winston.createLogger({ transports: [new winston.transports.Console()] });

function onRefresh(user, accessToken) {
  logger.info("refreshed session", { user: user.id, accessToken });
}

module.exports = onRefresh;
