import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { docsSchema } from '@astrojs/starlight/schema';
import { z } from 'zod';
import { signatureSchema } from './signatures/schema';

export const collections = {
  // Guide pages. Every page says which OpenClaw release its facts were checked on.
  docs: defineCollection({
    loader: glob({ base: './content/docs', pattern: '**/[^_]*.{md,mdx}' }),
    schema: docsSchema({
      extend: z.object({ verifiedOn: z.string().regex(/^\d{4}\.\d+\.\d+$/) }),
    }),
  }),
  // Error signatures: one YAML file each, the file name is the stable id.
  errors: defineCollection({
    loader: glob({ base: './content/errors', pattern: '*.yaml' }),
    schema: signatureSchema,
  }),
};
