// Chooses the project to work in when the user has several (GET /v3/auth/projects gave them); a user with one
// never sees this. No project at all is said plainly.
import type { Project } from '../api/keystone.ts';

export function ProjectPicker({
  projects,
  onPick,
}: {
  projects: Project[];
  onPick: (project: Project) => void;
}) {
  return (
    <main class="login">
      <h1>Sluice</h1>
      <section aria-labelledby="picker-title">
        <h2 id="picker-title">Choose a project</h2>
        {projects.length === 0 && <p role="alert">You have no role on any project.</p>}
        <ul class="plain">
          {projects.map((p) => (
            <li key={p.id}>
              <button type="button" onClick={() => onPick(p)}>
                {p.name}
              </button>
            </li>
          ))}
        </ul>
      </section>
    </main>
  );
}
