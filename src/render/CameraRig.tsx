/**
 * The 3D camera: the framed start view of each scene (robust bounds, world up), orbit or fly
 * navigation, and the one-shot camera requests of the store (fit, reset, focus a box, look through an
 * input camera, go to a pose from a link), each acted on once per version. When a request's frame
 * has been drawn, the viewport element gets `data-camera-request="<version>"` (for tests and
 * scripts). Where the camera comes to rest (an orbit ends, a request is done) goes to the store's
 * cameraPose, which the page URL follows.
 */
import { addAfterEffect, useThree } from '@react-three/fiber';
import { useEffect, useRef } from 'react';
import * as THREE from 'three';
import { OrbitControls } from 'three/examples/jsm/controls/OrbitControls.js';
import { useFieldLens, type CameraRequest } from '../app/store/store.ts';
import { type UpChoice } from '../app/store/upMemory.ts';
import type { CameraPose } from '../app/store/store.ts';
import type { SceneViewpoint } from '../../workers/scene/protocol.ts';
import { boundingRadius, fitDistance, lookThroughPose, type Vec3 } from '../core/views/cameraMath.ts';
import { cameraFocus, clearStartDirection, fitBox, focusDirection, framedView, upVector, viewAt, type CameraRay } from '../core/views/framing.ts';
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

/** World up of the view: the scene's detected up, or the axis the user chose. */
function viewUp(viewpoint: SceneViewpoint, choice: UpChoice): Vec3 {
  return choice === 'auto' ? [viewpoint.up[0], viewpoint.up[1], viewpoint.up[2]] : upVector(choice);
}

/**
 * The framed start view (Reset returns to it): above the cloud, looking down 30° along the first
 * input camera's direction made horizontal (bare clouds: the identity camera's +z, or +y when z is
 * up), turned where needed so that no input camera stands between the eye and the scene (its
 * frustum would cover what it looks at), far enough back that the robust box fits.
 */
function initialView(viewpoint: SceneViewpoint, choice: UpChoice, robust: Bounds3, full: Bounds3, aspect: number): InitialView {
  const m = viewpoint.cameraToWorld;
  const up = viewUp(viewpoint, choice);
  // Posed captures: what the cameras look at, from their distance; bare clouds: the robust box.
  const focus = cameraFocus(cameraRays());
  const target: Vec3 = focus?.target ?? ([0, 1, 2].map((a) => (robust.min[a]! + robust.max[a]!) / 2) as Vec3);
  const forward = clearStartDirection([m[2]!, m[6]!, m[10]!], up, target, cameraCentres());
  const view = focus ? viewAt(focus.target, focus.distance, up, forward) : framedView(robust, up, forward, aspect, DEFAULT_FOV_DEG);
  const robustDiagonal = 2 * boundingRadius(robust.min, robust.max);
  const fullRadius = boundingRadius(full.min, full.max);
  const toFullCentre = new THREE.Vector3()
    .fromArray(full.min)
    .add(new THREE.Vector3().fromArray(full.max))
    .multiplyScalar(0.5)
    .distanceTo(new THREE.Vector3(...view.position));
  return {
    position: new THREE.Vector3(...view.position),
    target: new THREE.Vector3(...view.target),
    up: new THREE.Vector3(...up),
    near: Math.max(1e-6, robustDiagonal / 1000),
    far: 4 * (view.distance + toFullCentre + fullRadius),
  };
}

/** The input cameras' centres and viewing directions (world, metres). */
function cameraRays(): CameraRay[] {
  return useFieldLens.getState().cameras.map(({ cameraToWorld: m }) => ({ centre: [m[3]!, m[7]!, m[11]!], forward: [m[2]!, m[6]!, m[10]!] }));
}

/** The input cameras' centres (world, metres). */
function cameraCentres(): Vec3[] {
  return useFieldLens.getState().cameras.map(({ cameraToWorld: m }): Vec3 => [m[3]!, m[7]!, m[11]!]);
}

function aspectOf(camera: THREE.Camera): number {
  return camera instanceof THREE.PerspectiveCamera ? camera.aspect : 1;
}

/** The camera's pose now, for the URL (recorded when it comes to rest). */
function poseOf(camera: THREE.Camera, target: THREE.Vector3): CameraPose {
  return { position: camera.position.toArray(), target: target.toArray() };
}

type Controls = { kind: 'orbit'; orbit: OrbitControls } | { kind: 'fly'; fly: FlyControls };

export function CameraRig({
  onFramed,
  onLookingThroughChange,
  onCameraRest,
}: {
  readonly onFramed?: (viewpoint: SceneViewpoint) => void;
  readonly onLookingThroughChange: (cameraIndex: number | null) => void;
  /** The camera came to rest at `pose` (null: back at the framed initial view), for the URL. */
  readonly onCameraRest: (pose: CameraPose | null) => void;
}) {
  const viewpoint = useFieldLens((s) => s.viewpoint);
  const fullBounds = useFieldLens((s) => s.bounds);
  // Everything the camera frames and steps by is the robust box (a few outliers don't shrink the view).
  const bounds = useFieldLens((s) => s.robustBounds);
  const upChoice = useFieldLens((s) => s.upChoice);
  const navigation = useFieldLens((s) => s.navigation);
  const cameraRequest = useFieldLens((s) => s.cameraRequest);
  const get = useThree((s) => s.get);
  const controls = useRef<Controls | null>(null);
  /** The orbit centre, kept across orbit ↔ fly switches. */
  const target = useRef(new THREE.Vector3());
  const appliedView = useRef<{ viewpoint: unknown; upChoice: UpChoice } | null>(null);
  const handledRequest = useRef(0);

  // A new scene or up axis: the framed start view (before the controls are built: OrbitControls reads camera.up once).
  useEffect(() => {
    if (!viewpoint || !bounds || !fullBounds) return;
    if (appliedView.current?.viewpoint === viewpoint && appliedView.current.upChoice === upChoice) return;
    appliedView.current = { viewpoint, upChoice };
    const { camera, invalidate } = get();
    const view = initialView(viewpoint, upChoice, bounds, fullBounds, aspectOf(camera));
    camera.up.copy(view.up);
    applyView(camera, view.position, view.target, DEFAULT_FOV_DEG);
    if (camera instanceof THREE.PerspectiveCamera) {
      camera.near = view.near;
      camera.far = view.far;
      camera.updateProjectionMatrix();
    }
    target.current.copy(view.target);
    invalidate();
    // The viewport is ready once a frame with this camera has been drawn.
    const unsubscribe = addAfterEffect(() => {
      onFramed?.(viewpoint);
      unsubscribe();
    });
  }, [viewpoint, bounds, fullBounds, upChoice, get, onFramed]);

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
    orbit.addEventListener('end', () => onCameraRest(poseOf(camera, orbit.target)));
    controls.current = { kind: 'orbit', orbit };
    invalidate();
    return () => {
      orbit.dispose();
      controls.current = null;
    };
  }, [navigation, viewpoint, bounds, upChoice, get, onLookingThroughChange, onCameraRest]);

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
    const lookingAt = handleRequest(cameraRequest, camera, bounds, fullBounds ?? bounds, target.current);
    if (lookingAt === undefined) return;
    onCameraRest(cameraRequest.kind === 'reset' ? null : poseOf(camera, target.current));
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
      // The frusta are sized by the full bounds (CameraFrusta), so their thumbnails are found by them too.
      element?.setAttribute('data-frustum-screen', JSON.stringify(thumbnailScreenPositions(state.camera, state.size, fullBounds ?? bounds)));
      element?.setAttribute('data-camera-request', String(cameraRequest.version));
      unsubscribe();
    });
  }, [cameraRequest, bounds, fullBounds, get, onLookingThroughChange, onCameraRest]);

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
function handleRequest(request: CameraRequest, camera: THREE.Camera, bounds: Bounds3, fullBounds: Bounds3, target: THREE.Vector3): number | null | undefined {
  const aspect = aspectOf(camera);
  switch (request.kind) {
    case 'reset': {
      const { viewpoint, upChoice } = useFieldLens.getState();
      if (!viewpoint) return undefined;
      const view = initialView(viewpoint, upChoice, bounds, fullBounds, aspect);
      target.copy(view.target);
      applyView(camera, view.position, view.target, DEFAULT_FOV_DEG);
      return null;
    }
    case 'pose': {
      target.fromArray(request.target);
      applyView(camera, new THREE.Vector3(...request.position), target, DEFAULT_FOV_DEG);
      return null;
    }
    case 'fit':
    case 'focus': {
      const box = request.kind === 'focus' ? request.bounds : fitBox(fullBounds, cameraCentres());
      const centre = new THREE.Vector3().fromArray(box.min).add(new THREE.Vector3().fromArray(box.max)).multiplyScalar(0.5);
      const distance = fitDistance(boundingRadius(box.min, box.max), DEFAULT_FOV_DEG, aspect);
      // Keep the viewing direction (a focus: on the same side of the up axis, steeply enough that
      // the eye is above a table top, not under it); move so the box's bounding sphere fills the view.
      let direction = camera.getWorldDirection(new THREE.Vector3());
      if (request.kind === 'focus') direction = new THREE.Vector3(...focusDirection(direction.toArray(), camera.up.toArray()));
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
