// Entry of the dashboard bundle: its styles and the app mounted on #app.
import { render } from 'preact';
import { App } from './app.tsx';
import './styles.css';

render(<App />, document.getElementById('app')!);
