import { setOperator } from "../../lib/auth/operator-grant";
import { cliActor, type CommandArgs } from "./context";
import { UsageError, type Printer } from "./output";

/** `mg operator grant|revoke EMAIL`: who may open the operator console (/operator). */
export async function operatorCommand(sub: string | undefined, args: CommandArgs, out: Printer): Promise<void> {
  if (sub !== "grant" && sub !== "revoke") throw new UsageError("operator commands: grant EMAIL, revoke EMAIL");
  const email = args.positionals[0];
  if (!email) throw new UsageError(`operator ${sub} needs a user's email`);
  const user = await setOperator(email, sub === "grant", { actor: cliActor() });
  return out.result({ user: { id: user.id, email: user.email, isOperator: user.isOperator }, changed: user.changed }, () =>
    `${user.email} ${user.isOperator ? "is" : "is not"} a platform operator${user.changed ? "" : " (unchanged)"}`,
  );
}
