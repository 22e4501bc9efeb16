import { useThree } from '@react-three/fiber';

/** Requests one frame (the canvas renders on demand only). */
export function useInvalidate(): () => void {
  return useThree((s) => s.invalidate);
}
