import { counter, defineMonitoring, env, matches } from "vigil-monitoring";

const httpRequests = counter("http_requests_total", {
  help: "HTTP requests served, by status code",
  labels: ["code"],
});

export default defineMonitoring({
  service: { name: "hello", team: "platform", runbookBaseUrl: "https://runbooks.example.com/hello" },
  teams: [{ name: "platform", receivers: [{ name: "slack", kind: "slack", channel: "#platform-alerts", webhook: env("SLACK_WEBHOOK_URL") }] }],
  alertmanager: { catchAll: { team: "platform", receiver: "slack" } },
  signals: [httpRequests],
  slos: [
    {
      name: "availability",
      objective: 99.9,
      sli: {
        kind: "ratio",
        bad: httpRequests.select({ code: matches("5..") }),
        total: httpRequests.select(),
      },
    },
  ],
});
