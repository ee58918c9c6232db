/**
 * Logistic calibration (Platt scaling generalised to a few inputs): p = sigmoid(bias + w·x).
 * It turns Naive Bayes log-odds, which are over-confident because features are not independent,
 * into probabilities, and weighs the feature groups against each other.
 */
export interface Calibration {
  bias: number;
  weights: number[];
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function applyCalibration(c: Calibration, x: ArrayLike<number>): number {
  let z = c.bias;
  for (let i = 0; i < c.weights.length; i++) z += c.weights[i] * x[i];
  return z;
}

/** Solves A x = b for a small dense system (Gaussian elimination with partial pivoting). */
function solve(a: number[][], b: number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r][c]) > Math.abs(m[p][c])) p = r;
    [m[c], m[p]] = [m[p], m[c]];
    const d = m[c][c] || 1e-12;
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r][c] / d;
      for (let k = c; k <= n; k++) m[r][k] -= f * m[c][k];
    }
  }
  return m.map((row, i) => row[n] / (row[i] || 1e-12));
}

/**
 * Fits bias and weights by Newton's method with a small L2 penalty on the weights (not the bias).
 * `sampleWeight` lets a caller re-weight sources whose class mix is not natural.
 */
export function fitCalibration(xs: ArrayLike<number>[], ys: number[], sampleWeight?: number[], l2 = 1e-2, nonNegative = false): Calibration {
  const d = xs[0]?.length ?? 0;
  if (!nonNegative) return fitMasked(xs, ys, sampleWeight, l2, new Array<boolean>(d).fill(true));
  // Active set: an input whose weight comes out negative is fixed at 0 and the rest refitted, until none is.
  const active = new Array<boolean>(d).fill(true);
  for (;;) {
    const c = fitMasked(xs, ys, sampleWeight, l2, active);
    let changed = false;
    c.weights.forEach((v, k) => {
      if (active[k] && v < 0) {
        active[k] = false;
        changed = true;
      }
    });
    if (!changed) return { bias: c.bias, weights: c.weights.map((v, k) => (active[k] ? v : 0)) };
  }
}

function fitMasked(xs: ArrayLike<number>[], ys: number[], sampleWeight: number[] | undefined, l2: number, active: boolean[]): Calibration {
  const d = xs[0]?.length ?? 0;
  const w = new Array(d + 1).fill(0);
  for (let iter = 0; iter < 50; iter++) {
    const g = new Array(d + 1).fill(0);
    const h = Array.from({ length: d + 1 }, () => new Array(d + 1).fill(0));
    for (let i = 0; i < xs.length; i++) {
      const raw = xs[i];
      const x = active.every(Boolean) ? raw : Array.from({ length: d }, (_, k) => (active[k] ? raw[k] : 0));
      const sw = sampleWeight ? sampleWeight[i] : 1;
      let z = w[d];
      for (let k = 0; k < d; k++) z += w[k] * x[k];
      const p = sigmoid(z);
      const e = (p - ys[i]) * sw;
      const s = p * (1 - p) * sw;
      for (let k = 0; k <= d; k++) {
        const xk = k === d ? 1 : x[k];
        g[k] += e * xk;
        for (let j = 0; j <= k; j++) h[k][j] += s * xk * (j === d ? 1 : x[j]);
      }
    }
    for (let k = 0; k <= d; k++) for (let j = 0; j < k; j++) h[j][k] = h[k][j];
    for (let k = 0; k < d; k++) {
      g[k] += l2 * w[k];
      h[k][k] += l2;
    }
    h[d][d] += 1e-9;
    const step = solve(h, g);
    let max = 0;
    for (let k = 0; k <= d; k++) {
      w[k] -= step[k];
      max = Math.max(max, Math.abs(step[k]));
    }
    if (max < 1e-7) break;
  }
  return { bias: w[d], weights: w.slice(0, d) };
}

/** Re-fits only the bias so the mean predicted probability on `xs` matches their labels (prior correction). */
export function refitBias(c: Calibration, xs: ArrayLike<number>[], ys: number[]): Calibration {
  let bias = c.bias;
  const base = xs.map((x) => applyCalibration({ bias: 0, weights: c.weights }, x));
  for (let iter = 0; iter < 50; iter++) {
    let g = 0;
    let h = 1e-9;
    for (let i = 0; i < base.length; i++) {
      const p = sigmoid(base[i] + bias);
      g += p - ys[i];
      h += p * (1 - p);
    }
    bias -= g / h;
    if (Math.abs(g / h) < 1e-9) break;
  }
  return { bias, weights: c.weights };
}
