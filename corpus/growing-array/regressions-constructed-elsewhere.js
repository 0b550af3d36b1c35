// Fixed false positives: a class is not a singleton when the constructor that creates it runs
// again and again. Seen in three.js (XRManager, WebGPUTextureUtils).

// created in the constructor of a class that only an exported subclass constructs
class LayerManager {
  constructor() {
    this.layers = [];
  }
  add(layer) {
    this.layers.push(layer); // ok: growing-array -- one LayerManager per renderer
  }
}
class Renderer {
  constructor() {
    this.xr = new LayerManager();
  }
}
export class WebRenderer extends Renderer {}

// created in the constructor of a class that is instantiated through a variable
class TextureUtils {
  constructor() {
    this.defaults = [];
  }
  track(texture) {
    this.defaults.push(texture); // ok: growing-array -- one TextureUtils per backend
  }
}
class Backend {
  constructor() {
    this.textures = new TextureUtils();
  }
}
export function createBackend(options) {
  const BackendClass = options.fallback ? Object : Backend;
  return new BackendClass();
}

// still a singleton: created once, at module level, by a class created once at module level
class Journal {
  constructor() {
    this.lines = [];
  }
  write(line) {
    this.lines.push(line); // expect: growing-array "field of singleton `Journal`"
  }
}
class App {
  constructor() {
    this.journal = new Journal();
  }
}
export const app = new App();
