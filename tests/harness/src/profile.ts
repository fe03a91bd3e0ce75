/** The two cluster profiles the project deploys to, and what a harness cluster looks like for each. */
export type Profile = 'theia-prod' | 'parma';
export type Arch = 'amd64' | 'arm64';

export const profiles: readonly Profile[] = ['theia-prod', 'parma'];

export function archOf(profile: Profile): Arch {
  return profile === 'parma' ? 'arm64' : 'amd64';
}

export function isProfile(value: string): value is Profile {
  return (profiles as readonly string[]).includes(value);
}
