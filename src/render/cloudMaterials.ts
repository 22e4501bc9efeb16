/**
 * The point material: a THREE.ShaderMaterial that draws the uint8 display colours exactly as
 * stored (no tone mapping, no colour-space conversion: the bytes are already sRGB, and tests read
 * them back from the canvas), with
 * - point size in CSS pixels, or in metres with perspective attenuation;
 * - optional round sprites (fragments outside the unit disc are discarded);
 * - a crop box as uniforms: points outside it are moved out of the clip volume in the vertex
 *   shader, so they cost no fragments.
 * Uniform values are updated in place (no per-frame allocation).
 */
import * as THREE from 'three';
import type { ViewSettings } from '../app/store/viewSettings.ts';

const vertexShader = /* glsl */ `
uniform float uSizePixels;
uniform float uSizeMetres;
uniform bool uWorldSize;
uniform float uPixelRatio;
uniform float uViewportHeight;
uniform bool uCrop;
uniform vec3 uCropMin;
uniform vec3 uCropMax;
varying vec3 vColor;

void main() {
  vec4 world = modelMatrix * vec4(position, 1.0);
  if (uCrop && (any(lessThan(world.xyz, uCropMin)) || any(greaterThan(world.xyz, uCropMax)))) {
    gl_Position = vec4(2.0, 2.0, 2.0, 1.0);
    gl_PointSize = 0.0;
    vColor = vec3(0.0);
    return;
  }
  vec4 view = viewMatrix * world;
  gl_Position = projectionMatrix * view;
  // World size: the projected diameter of a sphere of uSizeMetres at this depth, in device pixels.
  gl_PointSize = uWorldSize
    ? uSizeMetres * projectionMatrix[1][1] * 0.5 * uViewportHeight / max(-view.z, 1e-6)
    : uSizePixels * uPixelRatio;
  vColor = color;
}
`;

const fragmentShader = /* glsl */ `
uniform bool uRound;
varying vec3 vColor;

void main() {
  if (uRound) {
    vec2 c = gl_PointCoord * 2.0 - 1.0;
    if (dot(c, c) > 1.0) discard;
  }
  gl_FragColor = vec4(vColor, 1.0);
}
`;

export interface PointUniforms {
  [name: string]: THREE.IUniform;
  uSizePixels: THREE.IUniform<number>;
  uSizeMetres: THREE.IUniform<number>;
  uWorldSize: THREE.IUniform<boolean>;
  uPixelRatio: THREE.IUniform<number>;
  uViewportHeight: THREE.IUniform<number>;
  uRound: THREE.IUniform<boolean>;
  uCrop: THREE.IUniform<boolean>;
  uCropMin: THREE.IUniform<THREE.Vector3>;
  uCropMax: THREE.IUniform<THREE.Vector3>;
}

export function createPointMaterial(): THREE.ShaderMaterial & { uniforms: PointUniforms } {
  const uniforms: PointUniforms = {
    uSizePixels: { value: 2.5 },
    uSizeMetres: { value: 0.006 },
    uWorldSize: { value: false },
    uPixelRatio: { value: 1 },
    uViewportHeight: { value: 1 },
    uRound: { value: false },
    uCrop: { value: false },
    uCropMin: { value: new THREE.Vector3() },
    uCropMax: { value: new THREE.Vector3() },
  };
  const material = new THREE.ShaderMaterial({ uniforms, vertexShader, fragmentShader, vertexColors: true, toneMapped: false });
  return material as THREE.ShaderMaterial & { uniforms: PointUniforms };
}

/** Copies the view settings and the drawing-buffer size into the material's uniforms. */
export function applyPointUniforms(uniforms: PointUniforms, view: ViewSettings, pixelRatio: number, drawingBufferHeight: number): void {
  uniforms.uSizePixels.value = view.pointSizePixels;
  uniforms.uSizeMetres.value = view.pointSizeMetres;
  uniforms.uWorldSize.value = view.pointSizeMode === 'world';
  uniforms.uPixelRatio.value = pixelRatio;
  uniforms.uViewportHeight.value = drawingBufferHeight;
  uniforms.uRound.value = view.roundPoints;
  const box = view.cropBox;
  uniforms.uCrop.value = box !== null;
  if (box) {
    uniforms.uCropMin.value.set(box.min[0], box.min[1], box.min[2]);
    uniforms.uCropMax.value.set(box.max[0], box.max[1], box.max[2]);
  }
}
