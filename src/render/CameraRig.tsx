/**
 * The 3D camera: the initial view of each scene, orbit or fly navigation, and the one-shot camera
 * requests of the store (fit, reset, focus a box, look through an input camera), each acted on once
 * per version. When a request's frame has been drawn, the viewport element gets
 * `data-camera-request="<version>"` (for tests and scripts).
 */
import { addAfterEffect, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { useFieldLens, type CameraRequest } from '../app/store/store.ts';
import { boundingRadius, fitDistance, lookThroughPose } from '../core/views/cameraMath.ts';
import type { Bounds3 } from '../core/lift/pointCloud.ts';
import { FlyControls } from './flyControls.ts';
import { thumbnailCentre } from './CameraFrusta.tsx';

/** Vertical field of view of the free camera, degrees (looking through a camera uses its own). */
export const DEFAULT_FOV_DEG = 55;

interface InitialView {
  readonly position: THREE.Vector3;
  readonly target: THREE.Vector3;
  readonly up: THREE.Vector3;
  readonly near: number;
  readonly far: number;
}

/**
 * The start view: at the first input camera, backed off along its viewing ray so the whole cloud
 * (not only that camera's frustum) shows, looking at the point on the ray nearest the centroid.
 */
function initialView(viewpoint: { cameraToWorld: readonly number[]; up: readonly [number, number, number] }, bounds: { min: readonly number[]; max: readonly number[]; centroid: readonly number[] }): InitialView {
  const m = viewpoint.cameraToWorld;
  const eye = new THREE.Vector3(m[3], m[7], m[11]);
  const forward = new THREE.Vector3(m[2], m[6], m[10]).normalize();
  const distance = Math.max(0.1, new THREE.Vector3().fromArray(bounds.centroid).sub(eye).dot(forward));
  const extent = new THREE.Vector3().fromArray(bounds.max).sub(new THREE.Vector3().fromArray(bounds.min)).length();
  return {
    position: eye.clone().addScaledVector(forward, -0.25 * distance),
    target: eye.clone().addScaledVector(forward, distance),
    up: new THREE.Vector3(...viewpoint.up),
    near: Math.max(0.001, extent / 1000),
    far: extent * 20 + distance * 4,
  };
}

type Controls = { kind: 'orbit'; orbit: OrbitControls } | { kind: 'fly'; fly: FlyControls };

export function CameraRig({ onLookingThroughChange }: { readonly onLookingThroughChange: (cameraIndex: number | null) => void }) {
  const viewpoint = useFieldLens((s) => s.viewpoint);
  const bounds = useFieldLens((s) => s.bounds);
  const navigation = useFieldLens((s) => s.navigation);
  const cameraRequest = useFieldLens((s) => s.cameraRequest);
  const get = useThree((s) => s.get);
  const controls = useRef<Controls | null>(null);
  /** The orbit centre, kept across orbit ↔ fly switches. */
  const target = useRef(new THREE.Vector3());
  const appliedScene = useRef<unknown>(null);
  const handledRequest = useRef(0);

  // A new scene: its initial view (before the controls are built: OrbitControls reads camera.up once).
  useEffect(() => {
    if (!viewpoint || !bounds || appliedScene.current === viewpoint) return;
    appliedScene.current = viewpoint;
    const { camera, invalidate } = get();
    const view = initialView(viewpoint, bounds);
    camera.up.copy(view.up);
    applyView(camera, view.position, view.target, DEFAULT_FOV_DEG);
    if (camera instanceof THREE.PerspectiveCamera) {
      camera.near = view.near;
      camera.far = view.far;
      camera.updateProjectionMatrix();
    }
    target.current.copy(view.target);
    invalidate();
  }, [viewpoint, bounds, get]);

  // Navigation: orbit controls or fly controls, rebuilt when the mode or the scene (its up) changes.
  useEffect(() => {
    const { camera, gl, invalidate } = get();
    const orbitCentre = target.current;
    const userMoved = () => onLookingThroughChange(null);
    if (navigation === 'fly') {
      const extent = bounds ? 2 * boundingRadius(bounds.min, bounds.max) : 1;
      const fly = new FlyControls(camera, gl.domElement, invalidate, Math.max(0.05, extent * 0.4), userMoved);
      controls.current = { kind: 'fly', fly };
      return () => {
        // Orbit again around the point as far ahead as the old target was.
        const distance = Math.max(0.05, camera.position.distanceTo(orbitCentre));
        orbitCentre.copy(camera.getWorldDirection(new THREE.Vector3()).multiplyScalar(distance).add(camera.position));
        fly.dispose();
        controls.current = null;
      };
    }
    const orbit = new OrbitControls(camera, gl.domElement);
    orbit.target.copy(orbitCentre);
    orbit.update();
    orbit.addEventListener('change', () => {
      orbitCentre.copy(orbit.target);
      invalidate();
    });
    orbit.addEventListener('start', userMoved);
    controls.current = { kind: 'orbit', orbit };
    invalidate();
    return () => {
      orbit.dispose();
      controls.current = null;
    };
  }, [navigation, viewpoint, bounds, get, onLookingThroughChange]);

  // While looking through a camera, a resized viewport (e.g. the 2D panel opening) keeps the whole image in view.
  const size = useThree((s) => s.size);
  const lookingThrough = useFieldLens((s) => s.lookingThrough);
  useEffect(() => {
    const view = lookingThrough === null ? undefined : useFieldLens.getState().cameras[lookingThrough];
    const { camera, invalidate } = get();
    if (!view || !(camera instanceof THREE.PerspectiveCamera) || size.height === 0) return;
    const fov = lookThroughPose(view.cameraToWorld, view.intrinsics, size.width / size.height).verticalFovDeg;
    if (Math.abs(camera.fov - fov) < 1e-9) return;
    camera.fov = fov;
    camera.updateProjectionMatrix();
    invalidate();
  }, [size, lookingThrough, get]);

  // One-shot requests, each handled once per version.
  useEffect(() => {
    if (!cameraRequest || cameraRequest.version === handledRequest.current || !bounds) return;
    handledRequest.current = cameraRequest.version;
    const state = get();
    const camera = state.camera;
    const lookingAt = handleRequest(cameraRequest, camera, bounds, target.current);
    if (lookingAt === undefined) return;
    if (controls.current?.kind === 'orbit') {
      controls.current.orbit.target.copy(target.current);
      // Looking through keeps the camera's exact orientation (roll included): no update() → lookAt.
      if (lookingAt === null) controls.current.orbit.update();
    }
    onLookingThroughChange(lookingAt);
    state.invalidate();
    // Mark the request done once a frame showing it has been drawn.
    const element = state.gl.domElement.closest('[data-testid="viewport"]');
    const unsubscribe = addAfterEffect(() => {
      element?.setAttribute('data-frustum-screen', JSON.stringify(thumbnailScreenPositions(state.camera, state.size, bounds)));
      element?.setAttribute('data-camera-request', String(cameraRequest.version));
      unsubscribe();
    });
  }, [cameraRequest, bounds, get, onLookingThroughChange]);

  return null;
}

function applyView(camera: THREE.Camera, position: THREE.Vector3, lookAt: THREE.Vector3, fovDeg: number): void {
  camera.position.copy(position);
  camera.lookAt(lookAt);
  if (camera instanceof THREE.PerspectiveCamera && camera.fov !== fovDeg) {
    camera.fov = fovDeg;
    camera.updateProjectionMatrix();
  }
  camera.updateMatrixWorld();
}

/** Moves the camera (and the orbit target) for one request; returns the camera looked through, null, or undefined when impossible. */
function handleRequest(request: CameraRequest, camera: THREE.Camera, bounds: Bounds3, target: THREE.Vector3): number | null | undefined {
  const aspect = camera instanceof THREE.PerspectiveCamera ? camera.aspect : 1;
  switch (request.kind) {
    case 'reset': {
      const { viewpoint } = useFieldLens.getState();
      if (!viewpoint) return undefined;
      const view = initialView(viewpoint, bounds);
      target.copy(view.target);
      applyView(camera, view.position, view.target, DEFAULT_FOV_DEG);
      return null;
    }
    case 'fit':
    case 'focus': {
      const box = request.kind === 'focus' ? request.bounds : bounds;
      const centre = new THREE.Vector3().fromArray(box.min).add(new THREE.Vector3().fromArray(box.max)).multiplyScalar(0.5);
      const distance = fitDistance(boundingRadius(box.min, box.max), DEFAULT_FOV_DEG, aspect);
      // Keep the viewing direction; move so the box's bounding sphere fills the view.
      const direction = camera.getWorldDirection(new THREE.Vector3());
      target.copy(centre);
      applyView(camera, centre.clone().addScaledVector(direction, -distance), centre, DEFAULT_FOV_DEG);
      return null;
    }
    case 'look-through': {
      const view = useFieldLens.getState().cameras[request.cameraIndex];
      if (!view) return undefined;
      const pose = lookThroughPose(view.cameraToWorld, view.intrinsics, aspect);
      camera.position.fromArray(pose.position);
      camera.quaternion.fromArray(pose.quaternion);
      if (camera instanceof THREE.PerspectiveCamera) {
        camera.fov = pose.verticalFovDeg;
        camera.updateProjectionMatrix();
      }
      camera.updateMatrixWorld();
      // Orbit from here around the point of the optical axis nearest the scene's centre.
      const eye = new THREE.Vector3().fromArray(pose.position);
      const forward = new THREE.Vector3().fromArray(pose.forward);
      const distance = Math.max(0.05, new THREE.Vector3().fromArray(bounds.centroid).sub(eye).dot(forward));
      target.copy(eye).addScaledVector(forward, distance);
      return request.cameraIndex;
    }
  }
}

/**
 * Where each camera's thumbnail centre is on screen (CSS pixels from the canvas's top-left), or
 * null when it is behind the viewer or off screen — so scripts and tests can click a frustum.
 */
function thumbnailScreenPositions(camera: THREE.Camera, size: { width: number; height: number }, bounds: Bounds3): ([number, number] | null)[] {
  return useFieldLens.getState().cameras.map((view) => {
    const p = thumbnailCentre(view, bounds).project(camera);
    if (p.z < -1 || p.z > 1 || Math.abs(p.x) > 1 || Math.abs(p.y) > 1) return null;
    return [Math.round(((p.x + 1) / 2) * size.width), Math.round(((1 - p.y) / 2) * size.height)];
  });
}
