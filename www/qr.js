// QR codes as inline SVG, for the TOTP set-up URI (otpauth://…).
//
// The encoder is qrcode-generator (MIT, no dependencies), served by serve.mjs at
// /vendor/qrcode-generator.mjs from tests/node_modules. This file only turns its
// module matrix into an SVG path, so that the page and the Playwright test (which
// checks the QR code shown encodes the URI) build the same path.

/** The SVG path (`d`) of the dark modules, one unit per module, offset by `margin`. */
export function qrPath(qrcode, text, margin = 4) {
  const qr = qrcode(0, 'M');
  qr.addData(text, 'Byte');
  qr.make();
  const n = qr.getModuleCount();
  let d = '';
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (qr.isDark(r, c)) d += `M${c + margin},${r + margin}h1v1h-1z`;
    }
  }
  return { d, modules: n, size: n + 2 * margin };
}

/** Renders `text` as an SVG QR code into `el`; returns false (and leaves a note) if the encoder is missing. */
export async function renderQr(el, text) {
  el.replaceChildren();
  el.dataset.rendered = 'false';
  el.dataset.text = text;
  let qrcode;
  try {
    ({ default: qrcode } = await import('/vendor/qrcode-generator.mjs'));
  } catch (err) {
    const p = document.createElement('p');
    p.className = 'qr-missing';
    p.textContent = 'No QR code: /vendor/qrcode-generator.mjs is not served (run “npm ci --prefix tests”). Type the secret instead.';
    el.append(p);
    console.warn(err);
    return false;
  }
  const { d, modules, size } = qrPath(qrcode, text);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.setAttribute('aria-hidden', 'true');
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', String(size));
  bg.setAttribute('height', String(size));
  bg.setAttribute('fill', '#fff');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(bg, path);
  el.append(svg);
  el.dataset.modules = String(modules);
  el.dataset.rendered = 'true';
  return true;
}
