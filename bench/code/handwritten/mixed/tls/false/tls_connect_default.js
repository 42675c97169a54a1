const tls = require("tls");

const options = { host: "mq.internal", port: 8883, servername: "mq.internal" };
const socket = tls.connect(options, () => {
  socket.write("PING\n");
});
