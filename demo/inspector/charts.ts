/**
 * The room's figures as small time charts (uPlot: a small canvas chart
 * library, bundled into public/build/ with its CSS). The admin route returns
 * cumulative counters (src/room/metrics.ts); this page samples them at every
 * refresh and charts the change per second between samples: frames and bytes
 * in and out, and the broadcast latency (mean over each interval, and the
 * room's p95 bound so far). History starts when the page opens.
 */
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h } from "../dom";

/** The counters this reads from `GET /api/admin/rooms/:name`'s `metrics`. */
export interface Figures {
  messages: { in: number; out: number; http: number };
  bytes: { in: number; out: number };
  broadcasts: { count: number; latencyMs: { total: number; p95: number | null } };
}

interface Sample {
  /** Seconds (uPlot's time scale). */
  t: number;
  f: Figures;
}

/** Five minutes at one sample per 2 s refresh. */
const KEEP = 150;

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  series: { label: string; stroke: string }[];
  /** One value per series for the interval between two samples (null: nothing to say, e.g. no broadcast). */
  values(prev: Sample, next: Sample): (number | null)[];
}

const perSecond = (a: number, b: number, dt: number) => (dt > 0 ? Math.max(0, b - a) / dt : 0);

const SPECS: ChartSpec[] = [
  {
    id: "frames",
    title: "Frames per second",
    unit: "/s",
    series: [
      { label: "in (socket + http)", stroke: "#3b5bdb" },
      { label: "out", stroke: "#d9480f" },
    ],
    values: (p, n) => {
      const dt = n.t - p.t;
      return [perSecond(p.f.messages.in + p.f.messages.http, n.f.messages.in + n.f.messages.http, dt), perSecond(p.f.messages.out, n.f.messages.out, dt)];
    },
  },
  {
    id: "bytes",
    title: "Bytes per second",
    unit: " B/s",
    series: [
      { label: "in", stroke: "#3b5bdb" },
      { label: "out", stroke: "#d9480f" },
    ],
    values: (p, n) => [perSecond(p.f.bytes.in, n.f.bytes.in, n.t - p.t), perSecond(p.f.bytes.out, n.f.bytes.out, n.t - p.t)],
  },
  {
    id: "latency",
    title: "Broadcast latency",
    unit: " ms",
    series: [
      { label: "mean in interval", stroke: "#2b8a3e" },
      { label: "p95 so far (bucket bound)", stroke: "#b35c00" },
    ],
    values: (p, n) => {
      const count = n.f.broadcasts.count - p.f.broadcasts.count;
      const mean = count > 0 ? (n.f.broadcasts.latencyMs.total - p.f.broadcasts.latencyMs.total) / count : null;
      return [mean, n.f.broadcasts.latencyMs.p95];
    },
  },
];

export class FigureCharts {
  private samples: Sample[] = [];
  private readonly plots = new Map<string, { plot: uPlot; box: HTMLElement }>();

  constructor(private readonly host: HTMLElement) {}

  /** A new room: forget the old one's samples. */
  reset(): void {
    this.samples = [];
    this.draw();
  }

  /** One refresh's counters (null when the room reported none). */
  add(figures: Figures | null, at = Date.now()): void {
    if (!figures) return;
    this.samples.push({ t: at / 1000, f: figures });
    if (this.samples.length > KEEP + 1) this.samples.shift();
    this.draw();
  }

  private draw(): void {
    const xs: number[] = [];
    const ys = SPECS.map((s) => s.series.map(() => [] as (number | null)[]));
    for (let i = 1; i < this.samples.length; i++) {
      const [prev, next] = [this.samples[i - 1]!, this.samples[i]!];
      xs.push(next.t);
      SPECS.forEach((spec, k) => spec.values(prev, next).forEach((v, j) => ys[k]![j]!.push(v)));
    }
    SPECS.forEach((spec, k) => {
      const { plot, box } = this.plot(spec);
      plot.setData([xs, ...ys[k]!]);
      box.dataset.points = String(xs.length);
    });
  }

  private plot(spec: ChartSpec): { plot: uPlot; box: HTMLElement } {
    const made = this.plots.get(spec.id);
    if (made) return made;
    const box = h("figure", { class: "chart", "data-testid": `chart-${spec.id}`, "data-points": "0" });
    this.host.append(box);
    const width = Math.max(240, Math.floor(this.host.clientWidth / SPECS.length) - 24);
    const fmt = (v: number | null) => (v === null ? "-" : `${Math.round(v * 10) / 10}${spec.unit}`);
    const plot = new uPlot(
      {
        title: spec.title,
        width,
        height: 150,
        scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(1, max, min)] } },
        series: [{}, ...spec.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, spanGaps: true, value: (_u: uPlot, v: number | null) => fmt(v) }))],
        axes: [{ size: 30 }, { size: 50, values: (_u, splits) => splits.map((v) => `${Math.round(v * 10) / 10}`) }],
        legend: { live: false },
      },
      [[], ...spec.series.map(() => [])],
      box,
    );
    const made2 = { plot, box };
    this.plots.set(spec.id, made2);
    return made2;
  }
}
