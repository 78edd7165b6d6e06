// `sluice controller`: the scheduler, provisioner, status aggregation, health manager and housekeeping
// (architecture §1). With PostgreSQL any number run on any hosts and one leads (leader-campaign.ts).
import { type ConfigFlags, loadConfig } from '../config/config.ts';
import { openControlPlane, requireSharedStore, startController } from './control-plane.ts';
import { onStopSignals } from './stop-signals.ts';

export async function runController(flags: ConfigFlags): Promise<void> {
  const config = loadConfig(flags);
  requireSharedStore(config, 'controller');
  const plane = await openControlPlane(config, 'sluice-controller');
  const controller = startController(plane);
  onStopSignals(plane.logger, async () => {
    await controller.stop();
    await plane.close();
  });
}
