const config = {
  dbPassword: process.env.DB_PASSWORD,
  port: 5432,
};

console.debug("starting with config", config.dbPassword);
