/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'export',
  // Deterministic build id so that regenerated fixtures only change when the app does.
  generateBuildId: async () => 'rsc-flight-example',
  images: { unoptimized: true },
  poweredByHeader: false,
};

export default nextConfig;
