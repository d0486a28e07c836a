import * as vscode from 'vscode';

/** CodeLens on training specs (*.gat.json): Train, Open Latest Run. */
export class SpecCodeLensProvider implements vscode.CodeLensProvider {
  static readonly selector: vscode.DocumentSelector = { pattern: '**/*.gat.json' };

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: '$(play) Train', command: 'gat.trainSpec', arguments: [document.uri], tooltip: 'Train GAT with this spec' }),
      new vscode.CodeLens(top, { title: '$(history) Open Latest Run', command: 'gat.openLatestRun', arguments: [document.uri], tooltip: 'Show the metrics of the newest run of this spec' }),
    ];
  }
}
