const cors = require("cors");
app.use(cors({ origin: ["https://app.example.org"], credentials: true }));
