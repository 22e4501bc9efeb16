/**
 * Fly navigation: W/A/S/D move forward/left/back/right, Q/E down/up (along world up), dragging
 * with the left mouse button turns the view (yaw about world up, pitch about the camera's x).
 * The canvas renders on demand, so a requestAnimationFrame loop runs only while a movement key is
 * held; nothing runs and nothing is allocated per frame otherwise.
 */
import * as THREE from 'three';

const KEY_DIRECTIONS: Readonly<Record<string, readonly [number, number, number]>> = {
  KeyW: [0, 0, -1],
  KeyS: [0, 0, 1],
  KeyA: [-1, 0, 0],
  KeyD: [1, 0, 0],
  KeyQ: [0, -1, 0],
  KeyE: [0, 1, 0],
};
/** Radians of turn per pixel dragged. */
const LOOK_RADIANS_PER_PIXEL = 0.004;
const MAX_PITCH = Math.PI / 2 - 0.01;

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

export class FlyControls {
  private readonly held = new Set<string>();
  private frame = 0;
  private lastTime = 0;
  private dragging: { x: number; y: number } | null = null;
  // Scratch objects, reused: no allocation per frame.
  private readonly move = new THREE.Vector3();
  private readonly step = new THREE.Vector3();
  private readonly right = new THREE.Vector3();
  private readonly turn = new THREE.Quaternion();

  /**
   * @param speed metres per second (scaled to the scene by the caller)
   * @param onStart called when the user starts moving (the view no longer matches an input camera)
   */
  constructor(
    private readonly camera: THREE.Camera,
    private readonly element: HTMLElement,
    private readonly invalidate: () => void,
    private readonly speed: number,
    private readonly onStart: () => void,
  ) {
    window.addEventListener('keydown', this.onKeyDown);
    window.addEventListener('keyup', this.onKeyUp);
    window.addEventListener('blur', this.onBlur);
    element.addEventListener('pointerdown', this.onPointerDown);
    window.addEventListener('pointermove', this.onPointerMove);
    window.addEventListener('pointerup', this.onPointerUp);
  }

  dispose(): void {
    window.removeEventListener('keydown', this.onKeyDown);
    window.removeEventListener('keyup', this.onKeyUp);
    window.removeEventListener('blur', this.onBlur);
    this.element.removeEventListener('pointerdown', this.onPointerDown);
    window.removeEventListener('pointermove', this.onPointerMove);
    window.removeEventListener('pointerup', this.onPointerUp);
    cancelAnimationFrame(this.frame);
  }

  private readonly onKeyDown = (e: KeyboardEvent) => {
    if (!(e.code in KEY_DIRECTIONS) || isTyping(e.target) || e.ctrlKey || e.metaKey || e.altKey) return;
    if (this.held.size === 0) {
      this.onStart();
      this.lastTime = performance.now();
      this.frame = requestAnimationFrame(this.tick);
    }
    this.held.add(e.code);
  };

  private readonly onKeyUp = (e: KeyboardEvent) => {
    this.held.delete(e.code);
  };

  private readonly onBlur = () => this.held.clear();

  private readonly tick = (time: number) => {
    if (this.held.size === 0) return;
    const seconds = Math.min(0.1, (time - this.lastTime) / 1000);
    this.lastTime = time;
    this.move.set(0, 0, 0);
    for (const code of this.held) {
      const d = KEY_DIRECTIONS[code]!;
      this.move.x += d[0];
      this.move.z += d[2];
      // Up/down along world up, not the camera's tilted y.
      this.step.copy(this.camera.up).multiplyScalar(d[1] * this.speed * seconds);
      this.camera.position.add(this.step);
    }
    this.move.applyQuaternion(this.camera.quaternion).multiplyScalar(this.speed * seconds);
    this.camera.position.add(this.move);
    this.camera.updateMatrixWorld();
    this.invalidate();
    this.frame = requestAnimationFrame(this.tick);
  };

  private readonly onPointerDown = (e: PointerEvent) => {
    if (e.button !== 0) return;
    this.dragging = { x: e.clientX, y: e.clientY };
    this.onStart();
  };

  private readonly onPointerMove = (e: PointerEvent) => {
    if (!this.dragging) return;
    const dx = e.clientX - this.dragging.x;
    const dy = e.clientY - this.dragging.y;
    this.dragging = { x: e.clientX, y: e.clientY };
    // Yaw about world up.
    this.turn.setFromAxisAngle(this.camera.up, -dx * LOOK_RADIANS_PER_PIXEL);
    this.camera.quaternion.premultiply(this.turn);
    // Pitch about the camera's right axis, stopping short of straight up/down.
    this.right.set(1, 0, 0).applyQuaternion(this.camera.quaternion);
    this.step.set(0, 0, -1).applyQuaternion(this.camera.quaternion);
    const pitch = Math.asin(Math.max(-1, Math.min(1, this.step.dot(this.camera.up))));
    const wanted = Math.max(-MAX_PITCH, Math.min(MAX_PITCH, pitch - dy * LOOK_RADIANS_PER_PIXEL));
    this.turn.setFromAxisAngle(this.right, wanted - pitch);
    this.camera.quaternion.premultiply(this.turn);
    this.camera.updateMatrixWorld();
    this.invalidate();
  };

  private readonly onPointerUp = () => {
    this.dragging = null;
  };
}
