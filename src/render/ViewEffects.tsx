/**
 * View effects: the background colour and Eye-Dome Lighting (EDL, Boucheny 2009), a depth cue for
 * point clouds that needs no normals. EDL renders the scene into a render target with a depth
 * texture, then draws a full-screen pass that darkens each pixel by how much its neighbours
 * (8 directions, a few pixels away) are nearer in log depth. It is mounted only when enabled, so
 * when off the scene renders straight to the canvas and colours are untouched. Background pixels
 * (depth 1) are written as the background colour itself, so only the cloud is shaded.
 * Render target and pass are built once per canvas size; nothing is allocated per frame.
 */
import { useFrame, useThree } from '@react-three/fiber';
import { useEffect, useLayoutEffect, useMemo } from 'react';
import * as THREE from 'three';
import { useFieldLens } from '../app/store/store.ts';
import { BACKGROUND_COLORS } from '../app/store/viewSettings.ts';
import { useInvalidate } from './useInvalidate.ts';

/** The scene background, from viewSettings.background. */
export function ViewBackground() {
  const background = useFieldLens((s) => s.viewSettings.background);
  const invalidate = useInvalidate();
  useEffect(() => invalidate(), [background, invalidate]);
  return <color attach="background" args={[BACKGROUND_COLORS[background]]} />;
}

const edlVertexShader = /* glsl */ `
varying vec2 vUv;
void main() {
  vUv = uv;
  gl_Position = vec4(position.xy, 0.0, 1.0);
}
`;

const edlFragmentShader = /* glsl */ `
uniform sampler2D tColor;
uniform sampler2D tDepth;
uniform vec2 uTexel;
uniform float uNear;
uniform float uFar;
uniform float uStrength;
uniform float uRadius;
uniform vec3 uBackground;
varying vec2 vUv;

// Perspective depth-buffer value → log2 of the view distance.
float logDepth(float d) {
  float z = uNear * uFar / (uFar - d * (uFar - uNear));
  return log2(z);
}

void main() {
  float d = texture2D(tDepth, vUv).r;
  if (d >= 1.0) {
    gl_FragColor = vec4(uBackground, 1.0);
    return;
  }
  float centre = logDepth(d);
  float response = 0.0;
  for (int k = 0; k < 8; k++) {
    float a = float(k) * 0.78539816;
    vec2 offset = vec2(cos(a), sin(a)) * uRadius * uTexel;
    float nd = texture2D(tDepth, vUv + offset).r;
    if (nd < 1.0) response += max(0.0, centre - logDepth(nd));
  }
  float shade = exp(-response / 8.0 * 300.0 * uStrength);
  gl_FragColor = vec4(texture2D(tColor, vUv).rgb * shade, 1.0);
}
`;

function hexToRawTriplet(hex: string, out: THREE.Vector3): void {
  // The pass writes raw bytes (no output conversion), so the sRGB value is used as is.
  const n = parseInt(hex.slice(1), 16);
  out.set(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
}

interface EdlPass {
  readonly scene: THREE.Scene;
  readonly camera: THREE.OrthographicCamera;
  readonly material: THREE.ShaderMaterial;
}

function setPassUniforms(material: THREE.ShaderMaterial, target: THREE.WebGLRenderTarget, strength: number, dpr: number, backgroundHex: string): void {
  const u = material.uniforms;
  u.tColor!.value = target.texture;
  u.tDepth!.value = target.depthTexture;
  (u.uTexel!.value as THREE.Vector2).set(1 / target.width, 1 / target.height);
  u.uStrength!.value = strength;
  u.uRadius!.value = 1.5 * dpr;
  hexToRawTriplet(backgroundHex, u.uBackground!.value as THREE.Vector3);
}

/** One frame: the scene into the target, then the shading pass onto the canvas. */
function renderWithEdl(gl: THREE.WebGLRenderer, scene: THREE.Scene, camera: THREE.Camera, target: THREE.WebGLRenderTarget, pass: EdlPass): void {
  const u = pass.material.uniforms;
  if (camera instanceof THREE.PerspectiveCamera) {
    u.uNear!.value = camera.near;
    u.uFar!.value = camera.far;
  }
  gl.setRenderTarget(target);
  gl.render(scene, camera);
  gl.setRenderTarget(null);
  gl.render(pass.scene, pass.camera);
}

/** Eye-Dome Lighting post pass; takes over rendering (useFrame priority 1) while mounted. */
export function EyeDomeLighting() {
  const strength = useFieldLens((s) => s.viewSettings.edlStrength);
  const background = useFieldLens((s) => s.viewSettings.background);
  const gl = useThree((s) => s.gl);
  const size = useThree((s) => s.size);
  const dpr = useThree((s) => s.viewport.dpr);
  const invalidate = useInvalidate();

  const width = Math.max(1, Math.round(size.width * dpr));
  const height = Math.max(1, Math.round(size.height * dpr));
  const target = useMemo(() => {
    const t = new THREE.WebGLRenderTarget(width, height, { depthBuffer: true, minFilter: THREE.NearestFilter, magFilter: THREE.NearestFilter });
    t.depthTexture = new THREE.DepthTexture(width, height, THREE.UnsignedIntType);
    return t;
  }, [width, height]);
  useLayoutEffect(() => () => target.dispose(), [target]);

  const pass = useMemo(() => {
    const material = new THREE.ShaderMaterial({
      vertexShader: edlVertexShader,
      fragmentShader: edlFragmentShader,
      depthTest: false,
      depthWrite: false,
      toneMapped: false,
      uniforms: {
        tColor: { value: null },
        tDepth: { value: null },
        uTexel: { value: new THREE.Vector2() },
        uNear: { value: 0.01 },
        uFar: { value: 100 },
        uStrength: { value: 1 },
        uRadius: { value: 1.5 },
        uBackground: { value: new THREE.Vector3() },
      },
    });
    const quad = new THREE.Mesh(new THREE.PlaneGeometry(2, 2), material);
    quad.frustumCulled = false;
    const scene = new THREE.Scene();
    scene.add(quad);
    return { scene, camera: new THREE.OrthographicCamera(-1, 1, 1, -1, 0, 1), material, quad };
  }, []);
  useLayoutEffect(
    () => () => {
      pass.quad.geometry.dispose();
      pass.material.dispose();
    },
    [pass],
  );

  useLayoutEffect(() => {
    setPassUniforms(pass.material, target, strength, dpr, BACKGROUND_COLORS[background]);
    invalidate();
  }, [pass, target, strength, dpr, background, invalidate]);

  // Mounting/unmounting the pass changes how frames are drawn: request one either way.
  useEffect(() => () => invalidate(), [invalidate]);

  useFrame(({ scene, camera }) => renderWithEdl(gl, scene, camera, target, pass), 1);

  return null;
}
