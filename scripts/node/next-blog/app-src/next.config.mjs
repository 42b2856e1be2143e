/** @type {import('next').NextConfig} */
const nextConfig = {
  output: 'export',
  trailingSlash: true,
  // Deterministic build id so that regenerated fixtures only change when the app does.
  generateBuildId: async () => 'rsc-flight-blog',
  images: { unoptimized: true },
  poweredByHeader: false,
};

export default nextConfig;
