import { buildEnvelope, parseEnvelope, validateRequest, chooseOperation, encodeQuery } from "@smsc-kit/core";
const resp = `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><SendResponse xmlns="http://x/sys/soap.php"><sendresult><id>1</id><cnt>1</cnt></sendresult></SendResponse></soap:Body></soap:Envelope>`;
const req = { phones: "79990000001", mes: "Benchmark message", sender: "smsc-kit" };
function t(name: string, n: number, f: () => unknown) { for (let i=0;i<2000;i++) f(); const s=process.cpuUsage(); for (let i=0;i<n;i++) f(); const u=process.cpuUsage(s); console.log(name, ((u.user+u.system)/n).toFixed(2), "µs"); }
t("parseEnvelope", 50000, () => parseEnvelope(resp));
t("validateRequest", 50000, () => validateRequest("send", req));
t("chooseOperation", 50000, () => chooseOperation("send", req));
t("buildEnvelope", 50000, () => buildEnvelope("send_sms", { ...req, login: "bench", psw: "x" }, "http://x/sys/soap.php"));
