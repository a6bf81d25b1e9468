// Development-only mock of the money and leadership endpoints (the Money view, a
// profile's money, colour by suggested role), over the mock's own people.

const BASE = { base: "GBP", rates: "mock rates" };
const people = ["Kawa Exchange", "Amanj Hassan Zada", "Rebin Ali", "Dilan Karim", "Boxer Bhai", "Hawre Omar"];
const id = (i: number) => `e${i * 9}`;
const payments = Array.from({ length: 12 }, (_v, i) => ({
  payment: `pay${i}`, payer: id(i % 6), beneficiary: id((i * 5 + 1) % 6), payer_label: people[i % 6],
  beneficiary_label: people[(i * 5 + 1) % 6], date: `2024-03-${String(i + 2).padStart(2, "0")}`,
  amount: String(900 + i * 10), currency: "GBP", value: String(900 + i * 10), reference: `HW-${3000 + i}`,
  provenance: { source_grade: "2", info_grade: "B", handling: ["P"], classification: "OFFICIAL" },
}));

export function moneyRoute(p: string, url: URL): unknown {
  if (p === "/api/money/flows") {
    return { ...BASE, nodes: people.map((label, i) => ({ id: id(i), label, volume: "5000" })),
      links: payments.filter((x) => x.payer < x.beneficiary).map((x) => ({ source: x.payer, target: x.beneficiary, value: x.amount, payments: 1 })) };
  }
  if (p === "/api/money/alerts") {
    return { ...BASE, alerts: [{ typology: "structuring", score: 0.5, why: "Amanj Hassan Zada paid Rebin Ali 4 times, each just below the GBP 1,000 threshold",
      payments: payments.slice(0, 4).map((x) => x.payment), references: payments.slice(0, 4).map((x) => x.reference),
      parties: [{ id: id(1), label: people[1] }, { id: id(2), label: people[2] }], start: "2024-03-02", end: "2024-03-05",
      total: "3660", currency: "GBP", source_grade: "2", info_grade: "B", handling: ["P"], conditions: [], classification: "OFFICIAL" }] };
  }
  if (p === "/api/money/payments") return { ...BASE, payments: payments.filter((x) => url.searchParams.getAll("id").includes(x.payment)) };
  if (p === "/api/money/trace") {
    const steps = payments.slice(0, 3).map((x, i) => ({ ...x, hop: i + 1, carried: x.amount, from: x.payer, from_label: x.payer_label, to: x.beneficiary, to_label: x.beneficiary_label, parents: i ? [i - 1] : [] }));
    return { ...BASE, start: id(0), direction: "out", steps, labels: Object.fromEntries(people.map((l, i) => [id(i), l])), held: [], unconverted: 0 };
  }
  if (p.startsWith("/api/money/party/")) {
    return { ...BASE, party: decodeURIComponent(p.split("/").pop() ?? ""), label: people[1], received: "9500", sent: "4023.7", kept: "5476.3",
      payments_in: 1, payments_out: 2, unconverted: 0, first: "2024-03-02", last: "2024-03-07",
      counterparties: [{ party: id(2), label: people[2], received: "9500", sent: "2500", payments: 2 }] };
  }
  if (p === "/api/network/leaders") {
    return [0, 1, 2].map((g) => ({ group: `G${g + 1}`, members: [0, 1, 2, 3].map((k) => ({ id: `e${g * 4 + k * 12}`, label: `Person ${g * 4 + k * 12}`,
      score: 1 - k / 4, role: ["kingpin", "lieutenant", "hawaladar", null][k], why: "mock" })) }));
  }
  return undefined;
}
