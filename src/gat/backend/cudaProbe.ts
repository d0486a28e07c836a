/**
 * tfjs-node-gpu 4.22 is built against libtensorflow 2.9, which needs CUDA 11.2 and cuDNN 8.1.
 * With another CUDA it still loads, cannot open libcudart.so.11.0, and silently runs on the CPU
 * (tensorflow/tfjs issues 8362, 8505). We try to open the exact libraries first and say which is missing.
 */
const REQUIRED = 'tfjs-node-gpu 4.22 needs CUDA 11.2 and cuDNN 8.1';

const LIBRARIES: Record<string, readonly string[]> = {
  linux: ['libcudart.so.11.0', 'libcudnn.so.8'],
  win32: ['cudart64_110.dll', 'cudnn64_8.dll'],
};

/** null when the CUDA libraries can be opened (or the platform has no check), else a plain explanation. */
export function probeCuda(platform: string = process.platform, open: (file: string) => string | null = tryOpen): string | null {
  const libs = LIBRARIES[platform];
  if (!libs) return platform === 'darwin' ? `${REQUIRED}; there is no CUDA build for macOS` : null;
  for (const lib of libs) {
    const problem = open(lib);
    if (problem) {
      return `${REQUIRED}, but ${lib} cannot be opened (${problem}); it would silently run on the CPU. Install CUDA 11.2 + cuDNN 8.1 (e.g. next to CUDA 12, on LD_LIBRARY_PATH) or use another back end`;
    }
  }
  return null;
}

/** Opens a shared library by name with the system loader; null if it was found. */
function tryOpen(file: string): string | null {
  try {
    process.dlopen({ exports: {} }, file);
    return null;
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    // The loader found the file but it is no Node addon: that is success for us.
    if (/did not self-register|not a valid|no such module|napi/i.test(msg) && !/cannot open|not found|No such file/i.test(msg)) return null;
    return msg.split('\n')[0];
  }
}
